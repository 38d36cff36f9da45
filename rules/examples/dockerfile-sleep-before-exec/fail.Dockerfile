FROM eclipse-temurin:21-jre
COPY app.jar /app/app.jar
CMD sleep 30; exec java -jar /app/app.jar
