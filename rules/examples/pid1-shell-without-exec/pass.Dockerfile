FROM eclipse-temurin:21-jre
COPY app.jar /app/app.jar
CMD ["/bin/sh", "-c", "sleep 30; exec java $JAVA_OPTS -jar /app/app.jar"]
