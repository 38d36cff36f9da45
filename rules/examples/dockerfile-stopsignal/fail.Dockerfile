FROM eclipse-temurin:21-jre
COPY app.jar /app/app.jar
STOPSIGNAL SIGQUIT
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
