# exec form in valid JSON: straight double quotes and commas
FROM eclipse-temurin:21-jre
COPY target/app.jar /app/app.jar
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
