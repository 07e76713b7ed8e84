#!/usr/bin/env python3
"""Writes a compose file with N services of realistic shape (ports, environment, volumes,
depends_on, healthcheck, labels, deploy) for bench/config_bench.sh."""
import sys

def main():
    count = int(sys.argv[1])
    out = ["x-common: &common", "  restart: unless-stopped",
           "  logging:", "    driver: json-file", "    options: {max-size: 10m}", "services:"]
    for i in range(count):
        dep = f"svc{i - 1}" if i > 0 else None
        out += [
            f"  svc{i}:",
            "    <<: *common",
            f"    image: registry.example.com/team/app{i % 50}:1.{i % 7}",
            "    ports:",
            f"      - \"{10000 + i}:8080\"",
            "    environment:",
            f"      SERVICE_INDEX: \"{i}\"",
            "      LOG_LEVEL: ${LOG_LEVEL:-info}",
            f"      DATABASE_URL: postgres://db{i % 10}:5432/app",
            "    volumes:",
            f"      - data{i % 20}:/var/lib/app",
            f"      - ./config/svc{i}.yaml:/etc/app/config.yaml:ro",
            "    healthcheck:",
            "      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/health\"]",
            "      interval: 30s",
            "      timeout: 5s",
            "      retries: 3",
            "    labels:",
            f"      com.example.service: svc{i}",
            "      com.example.team: platform",
            "    deploy:",
            "      resources:",
            "        limits: {cpus: \"0.5\", memory: 256m}",
        ]
        if dep:
            out += ["    depends_on:", f"      {dep}:", "        condition: service_started"]
    out.append("volumes:")
    out += [f"  data{j}: {{}}" for j in range(20)]
    print("\n".join(out))

main()
