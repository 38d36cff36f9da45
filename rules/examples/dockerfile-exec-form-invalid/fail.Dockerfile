# ENTRYPOINT with typographic quotes: not JSON, so Docker runs it as /bin/sh -c "[“java”, …]", which finds no program
FROM eclipse-temurin:21-jre
COPY target/app.jar /app/app.jar
ENTRYPOINT [“java”, “-jar”, “/app/app.jar”]
