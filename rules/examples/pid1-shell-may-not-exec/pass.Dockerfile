FROM registry.example.com/base/jdk:1.0
COPY app.jar /opt/app.jar
ENTRYPOINT ["/bin/sh", "-c", "exec java -jar /opt/app.jar $JAVA_OPTS"]
