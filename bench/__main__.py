"""Run every benchmark of the project. So far: understanding quality and speed."""

from __future__ import annotations

from bench import understanding

if __name__ == "__main__":
    understanding.main()
