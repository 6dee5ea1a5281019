# Lb node image: build with the SDK, run on the plain .NET runtime.
#   docker build -t lb .
#   docker run --rm -v "$PWD/haproxy.cfg:/etc/lb/haproxy.cfg:ro" lb
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is cached across code changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Lb.Config/Lb.Config.csproj src/Lb.Config/
COPY src/Lb.Actors/Lb.Actors.csproj src/Lb.Actors/
COPY src/Lb.Node/Lb.Node.csproj src/Lb.Node/
RUN dotnet restore src/Lb.Node/Lb.Node.csproj
COPY src/ src/
RUN dotnet publish src/Lb.Node/Lb.Node.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app ./
# cluster.hocon next to haproxy.cfg is picked up automatically.
VOLUME /etc/lb
# 4053: Akka remoting (cluster); 8080/8404: the example's frontend and stats.
EXPOSE 4053 8080 8404
# Lb stays in the foreground; SIGTERM (docker stop) leaves the cluster gracefully.
ENTRYPOINT ["dotnet", "Lb.Node.dll"]
CMD ["-f", "/etc/lb/haproxy.cfg"]
