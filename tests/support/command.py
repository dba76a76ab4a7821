"""Run a command-line tool from a test that also hosts nameko containers.

Under eventlet, `subprocess.run(capture_output=True)` reads pipes through the hub; a
file number freed by a closed broker socket and reused for a pipe then trips eventlet's
"Second simultaneous read on fileno". Files instead of pipes keep the hub out of it.
"""

import subprocess
import tempfile


def run_command(args: list[str], env: dict, input_text: str = "",
                timeout: float = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryFile("w+") as stdin, tempfile.TemporaryFile("w+") as stdout, \
            tempfile.TemporaryFile("w+") as stderr:
        stdin.write(input_text)
        stdin.seek(0)
        process = subprocess.run(args, env=env, stdin=stdin, stdout=stdout, stderr=stderr,
                                 timeout=timeout, check=False)
        stdout.seek(0)
        stderr.seek(0)
        return subprocess.CompletedProcess(args, process.returncode, stdout.read(), stderr.read())
