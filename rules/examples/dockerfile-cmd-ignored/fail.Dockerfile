FROM eclipse-temurin:21-jre
COPY app.jar /app/app.jar
ENTRYPOINT exec java -jar /app/app.jar
CMD ["--spring.profiles.active=prod"]
