# syntax=docker/dockerfile:1
# SlaWatch worker image. Build from the repository root:
#   docker build -t slawatch-worker .
# Configuration comes from environment variables (see ops/compose.yaml and the README);
# secrets from files (SlaWatch__SigningKeyFile, ...PasswordFile, Npgsql's Passfile).

# --- build -------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Restore with only the project and build files, so this layer stays cached until a
# package or project reference changes.
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/Domain/SlaWatch.Domain.csproj src/Domain/
COPY src/Infrastructure/SlaWatch.Infrastructure.csproj src/Infrastructure/
COPY src/Worker/SlaWatch.Worker.csproj src/Worker/
# ReadyToRun: the assemblies (EF Core, Npgsql, MimeKit, Lingua, ours) are compiled ahead of time, so a worker that
# starts with a backlog does not spend a third of its CPU in the JIT (docs/benchmarks.md, B1). RID: linux-x64 or
# linux-arm64, the image's architecture.
ARG RID=linux-x64
RUN dotnet restore src/Worker/SlaWatch.Worker.csproj -r $RID -p:PublishReadyToRun=true

COPY src/ src/
COPY templates/ templates/
RUN dotnet publish src/Worker/SlaWatch.Worker.csproj -c Release --no-restore -r $RID --self-contained false \
    -p:PublishReadyToRun=true -p:UseAppHost=false -o /app

# --- runtime -----------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The message templates ops may edit (also part of the publish output); mount over
# /app/templates to use your own.
COPY templates/ ./templates/

# Inside a container the endpoints must listen beyond loopback; publish the port to
# 127.0.0.1 on the host (ops/compose.yaml does) until API keys protect the dashboard.
ENV DOTNET_ENVIRONMENT=Production \
    Urls=http://+:8080
EXPOSE 8080

# The aspnet image's non-root user (uid 1654).
USER $APP_UID

# No curl in the runtime image: bash's /dev/tcp asks /health/live for a 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]

# A crashed worker exits non-zero; the orchestrator (restart: unless-stopped) restarts it.
ENTRYPOINT ["dotnet", "SlaWatch.Worker.dll"]
