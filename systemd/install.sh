#!/usr/bin/env bash
# Installs csirt-agent as a systemd service from a built repository (run as root):
#   mvn -B -q package -DskipTests && sudo systemd/install.sh
# Idempotent: an existing configuration in /etc/csirt-agent is kept; the jar and the unit are replaced.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo systemd/install.sh)"; exit 1; }
[ -f agent/target/csirt-agent.jar ] || { echo "build first: mvn -B -q package -DskipTests"; exit 1; }
command -v java >/dev/null || { echo "install Java 17: apt-get install openjdk-17-jre-headless"; exit 1; }

id csirt-agent >/dev/null 2>&1 || useradd --system --home /var/lib/csirt-agent --shell /usr/sbin/nologin csirt-agent
install -d -m 0755 /opt/csirt-agent
install -m 0644 agent/target/csirt-agent.jar README.md /opt/csirt-agent/
if [ ! -f /etc/csirt-agent/application.properties ]; then
  install -d -m 0750 -g csirt-agent /etc/csirt-agent /etc/csirt-agent/routes
  cp -r config/* /etc/csirt-agent/
  cp routes/*.camel.yaml /etc/csirt-agent/routes/
  sed -i 's|^routes.dir=.*|routes.dir=routes|' /etc/csirt-agent/application.properties
  chgrp -R csirt-agent /etc/csirt-agent
  chmod -R g+rX,o-rwx /etc/csirt-agent
  echo "Configuration installed in /etc/csirt-agent: set contacts.yaml, assets.yaml and mail.smtp.* before relying on it."
else
  echo "Keeping the configuration in /etc/csirt-agent."
fi
# Class-data sharing: an archive of the classes the agent loads until it is ready, made from this jar
# by one start on the shipped defaults (loopback, ports of its choosing, a throwaway data directory)
# and stopped; the unit's JAVA_OPTS name it (start-up about a third faster; the JVM ignores a missing one).
rm -f /opt/csirt-agent/csirt-agent.jsa
cds=$(mktemp -d)
java -XX:+UseParallelGC -Xmx160m -XX:ArchiveClassesAtExit=/opt/csirt-agent/csirt-agent.jsa -Dsyslog.tcp.host=127.0.0.1 \
  -Dsyslog.udp.host=127.0.0.1 -Dsyslog.tcp.port=0 -Dsyslog.udp.port=0 -Dhttp.port=0 \
  -jar /opt/csirt-agent/csirt-agent.jar run --config config --data "$cds/data" >"$cds/log" 2>&1 &
cdspid=$!
for _ in $(seq 1 600); do grep -q "csirt-agent is running" "$cds/log" 2>/dev/null && break; sleep 0.1; done
kill "$cdspid"; wait "$cdspid" || true
rm -rf "$cds"
[ -f /opt/csirt-agent/csirt-agent.jsa ] && chmod 0644 /opt/csirt-agent/csirt-agent.jsa || echo "No class-data archive made: the agent starts without it (slower)."
[ -f /etc/default/csirt-agent ] || install -m 0600 systemd/csirt-agent.default /etc/default/csirt-agent
install -m 0644 systemd/csirt-agent.service /etc/systemd/system/csirt-agent.service
runuser -u csirt-agent -- java -jar /opt/csirt-agent/csirt-agent.jar check-config --config /etc/csirt-agent
systemctl daemon-reload
systemctl enable --now csirt-agent
systemctl --no-pager status csirt-agent || true
echo "Ready when: curl -s 127.0.0.1:9464/health/ready   Logs: journalctl -u csirt-agent -f"
