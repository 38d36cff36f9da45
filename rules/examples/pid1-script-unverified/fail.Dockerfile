FROM eclipse-temurin:21-jre
COPY start.sh /app/start.sh
ENTRYPOINT ["/app/start.sh"]
