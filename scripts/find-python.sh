#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (Mesa 3.5 needs it). $PYTHON wins if set.
# On these machines the default python3 is 3.11; pyenv keeps 3.12 and 3.13 beside it.
set -u
candidates=("${PYTHON:-}" python3.12 python3.13
            "$HOME"/.pyenv/versions/3.12*/bin/python "$HOME"/.pyenv/versions/3.13*/bin/python
            /usr/local/bin/python3.12 /usr/local/bin/python3.13 /usr/bin/python3.13
            /usr/bin/python3.12 python3)
for py in "${candidates[@]}"; do
  [ -n "$py" ] || continue
  path=$(command -v "$py" 2>/dev/null) || continue
  if "$path" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "no Python >= 3.12 found: install one (e.g. pyenv install 3.12) or set PYTHON=/path" >&2
exit 1
