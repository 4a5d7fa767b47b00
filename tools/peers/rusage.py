"""Runs a command and prints, as one JSON line on stderr's last line, the CPU seconds (user + system) and the peak
resident memory of the whole process it ran, as the kernel counts them (getrusage of the waited-for child).
Usage: python rusage.py <command> [args...]; the command's own stdout and stderr pass through."""
import json
import resource
import subprocess
import sys
import time

started = time.monotonic()
code = subprocess.call(sys.argv[1:])
wall = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"exitCode": code, "cpuSeconds": round(usage.ru_utime + usage.ru_stime, 2), "wallSeconds": round(wall, 2),
                  "peakRssMB": round(usage.ru_maxrss / 1024, 1)}), file=sys.stderr)
sys.exit(code)
