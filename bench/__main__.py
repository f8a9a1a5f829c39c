"""Run every benchmark of the project and print their figures, one section after another.

Sections: understanding (text), the Alexa webservice (in-process), load (servers on loopback)
and voice (speech in and out). ``python -m bench.NAME`` runs one of them.
"""

from __future__ import annotations

from bench import load, understanding, voice, webservice

if __name__ == "__main__":
    for section in (understanding, webservice, load, voice):
        section.main()
        print()
