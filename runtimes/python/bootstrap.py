"""
lambda-tune's Python runtime for the local platform: speaks the Lambda Runtime API as Lambda's
own Python runtime does. The platform starts it as `python3 -I -B -u bootstrap.py` in the
function's folder, one process per execution environment.

Only the standard library is used: the runtime must start on any Python 3.9 or newer.
"""

import os
import sys

# The runtime's own package lies beside this file. Its folder goes last on sys.path (as Lambda's
# /var/runtime does), and the package is imported before the function's folder goes first, so no
# module of the function can take its place.
sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from lambda_tune_runtime.main import main  # noqa: E402

main()
