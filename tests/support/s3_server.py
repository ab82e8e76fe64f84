"""A local S3-compatible server for archive tests: moto's standalone server on the loopback.

Real HTTP and the real boto3 client: the test points RISKBOARD_S3_ENDPOINT_URL at the server and sets
the standard AWS variables, exactly as a deployment against MinIO or a NAS's S3 gateway would.
"""

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import boto3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def s3_server() -> Iterator[str]:
    """Start moto's server on a free loopback port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def make_bucket(endpoint: str, name: str) -> None:
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=name)
