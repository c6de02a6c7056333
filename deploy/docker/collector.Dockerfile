# The collector: a JRE, the system libbpf it binds to, and the jar (CO-RE objects inside).
# Build the jar first: mvn -B -DskipTests package
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless libbpf1 util-linux \
 && rm -rf /var/lib/apt/lists/*
COPY collector/target/bpfstream-collector.jar /opt/bpfstream/bpfstream-collector.jar
# Every log line to the container's stderr (outside a container they go to a file, see README "Logs").
ENV BPFSTREAM_LOG_FILE=/dev/stderr
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx256m", "-jar", "/opt/bpfstream/bpfstream-collector.jar"]
