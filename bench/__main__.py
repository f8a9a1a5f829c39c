"""Run every benchmark of the project: understanding, then the Alexa webservice."""

from __future__ import annotations

from bench import understanding, webservice

if __name__ == "__main__":
    understanding.main()
    print()
    webservice.main()
