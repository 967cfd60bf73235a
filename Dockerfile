# Images of Archipelago, built from one Maven reactor build:
#   docker build --target coordinator -t archipelago/coordinator .

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -DskipTests package

FROM eclipse-temurin:17-jre AS coordinator
# A fixed uid outside the base image's own users, so ownership of mounted volumes is predictable.
RUN groupadd --system --gid 10001 archipelago \
    && useradd --system --uid 10001 --gid archipelago --home-dir /app --shell /usr/sbin/nologin archipelago \
    && mkdir -p /app \
    && chown archipelago:archipelago /app
WORKDIR /app
# Owned by root: the process may write its working directory but not replace its own code.
COPY --from=build /src/coordinator/target/coordinator-0.1.0-SNAPSHOT.jar coordinator.jar
USER archipelago
ENV PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Ddisable-axoniq-console-message=true", "-jar", "/app/coordinator.jar"]
