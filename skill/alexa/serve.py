"""Run the webservice under waitress, a production WSGI server (pure Python, no TLS).

Alexa calls skills over HTTPS on port 443 only, so in production put a TLS-terminating proxy
in front (Caddy, nginx or a cloud load balancer) and bind this server to the loopback address.
"""

from __future__ import annotations

import waitress

from skill.alexa.webservice import MAX_BODY_BYTES, create_app


def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    skill_id: str | None = None,
    verify: bool = True,
    threads: int = 4,
) -> None:
    """Serve the skill until interrupted (see :func:`skill.alexa.webservice.create_app`)."""
    app = create_app(skill_id=skill_id, verify=verify)
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=MAX_BODY_BYTES,
        ident="twitch-guide",
    )
