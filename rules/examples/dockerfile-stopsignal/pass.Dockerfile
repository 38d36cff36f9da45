FROM eclipse-temurin:21-jre
COPY app.jar /app/app.jar
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
