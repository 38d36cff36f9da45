FROM eclipse-temurin:21-jre
COPY app.jar /app/app.jar
CMD sleep 30; java $JAVA_OPTS -jar /app/app.jar
