# Sourced by the project's scripts: points JAVA_HOME at a JDK 21+ so nobody has to export anything.
# Order: a JAVA_HOME that is already 21+, then the newest JDK 21+ under /usr/lib/jvm, then java on PATH.

java_major() { # prints the feature version of the java binary given, or 0
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1 || echo 0
}

find_jdk21() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ] 2>/dev/null; then
        echo "$JAVA_HOME"; return 0
    fi
    local best="" best_v=0 d v
    for d in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
        [ -x "$d/bin/javac" ] || continue
        v=$(java_major "$d/bin/java"); v=${v:-0}
        if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
    done
    if [ -n "$best" ]; then echo "$best"; return 0; fi
    if command -v javac >/dev/null 2>&1; then
        d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
        if [ "$(java_major "$d/bin/java")" -ge 21 ] 2>/dev/null; then echo "$d"; return 0; fi
    fi
    return 1
}

if ! JAVA_HOME=$(find_jdk21); then
    echo "error: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm, PATH). Install one, e.g. apt-get install openjdk-21-jdk-headless." >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
