FROM eclipse-temurin:21-jre
COPY app.jar /app/app.jar
CMD ["java", "-jar", "/app/app.jar"]
