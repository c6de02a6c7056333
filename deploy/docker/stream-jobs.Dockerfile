# Flink with the bpfstream jobs jar; the same image serves jobmanager, taskmanager and submission.
# Build the jar first: mvn -B -DskipTests package
FROM flink:2.2.1-java17
COPY stream-jobs/target/bpfstream-stream-jobs.jar /opt/bpfstream/bpfstream-stream-jobs.jar
