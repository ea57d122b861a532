# Sourced by ./lamina and ./run-tests: sets LAMINA_JAVA_HOME to a JDK >= 21 or exits with a clear error.
# Order: $JAVA_HOME, the java on PATH, then the newest JDK under /usr/lib/jvm.

lamina_java_major() { # <java executable> -> major version, or 0
  local v="" release
  # A JDK's release file names its version: reading it costs nothing, starting a JVM ~100 ms.
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)"/\1/p' "$release" | head -1)
  fi
  if [ -z "$v" ]; then
    v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)
  fi
  case "$v" in 1.*) echo 0 ;; "") echo 0 ;; *) echo "${v%%.*}" ;; esac
}

lamina_find_jdk() {
  local candidates=() c best="" best_major=0 major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in /usr/lib/jvm/*; do [ -d "$c" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(lamina_java_major "$c/bin/java")
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$c"; best_major=$major; fi
    # Prefer the caller's JAVA_HOME when it is good enough.
    if [ "$c" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best="$c"; break; fi
  done
  if [ -z "$best" ]; then
    echo "lamina: no JDK 21 or newer found (looked at \$JAVA_HOME, javac on PATH and /usr/lib/jvm/*)." >&2
    echo "lamina: install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
    exit 1
  fi
  LAMINA_JAVA_HOME="$best"
}
