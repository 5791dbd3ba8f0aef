"""What a client of a Gateway API route sees when a backend cannot be used, by route kind.

The Gateway API specifies it per kind: an HTTPRoute answers 500 for the requests that
would have gone to an invalid backend, a GRPCRoute answers gRPC ``UNAVAILABLE``, and
TCPRoute and TLSRoute implementations "MUST actively reject connection attempts".
GW103 and GW104 word their findings the same way.
"""

from __future__ import annotations

_CLIENT_SEES = {
    "HTTPRoute": "answers 500 for requests to this backend",
    "GRPCRoute": "answers gRPC status UNAVAILABLE for calls to this backend",
    "TCPRoute": "rejects connections to this backend",
    "TLSRoute": "rejects connections to this backend",
}


def client_sees(kind: str) -> str:
    """What the Gateway does with traffic for an unusable backend of this route kind (a verb phrase)."""
    return _CLIENT_SEES.get(kind, "cannot send traffic to this backend")
