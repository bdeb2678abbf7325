#!/usr/bin/env python3
"""Capture the request bodies real kubectl binaries send for `kubectl create <generator>`.

Runs each command of COMMANDS with kubectl 1.31 (JSON bodies) and 1.32/1.33 (protobuf bodies, see
shared/reference/kubectl.md §6) against a throw-away recording server on 127.0.0.1 (plain HTTP, no
auth; legacy discovery from /work/shared/reference/upstream-data/discovery; every POST is recorded and
answered 201 with a minimal object). Writes, into tests/unit/protobuf/fixtures/ (--out):

  <name>.<minor>.pb     the protobuf body (1.32, 1.33)
  <name>.<minor>.json   the JSON body (1.31)
  commands.json         for every fixture: the kubectl arguments, the request line, content type

Inputs the commands read (a binary file, a TLS key pair) are generated afresh in a temporary directory,
so re-running changes the secret-tls and configmap-binary fixtures' bytes, never their shape.

Usage: python scripts/dev/capture_kubectl_bodies.py [--out DIR] [--versions 1.31,1.32,1.33]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parents[2]
DISCOVERY = Path("/work/shared/reference/upstream-data/discovery")
KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.{minor}"

# name -> kubectl arguments ({dir} is the input directory)
COMMANDS: dict[str, list[str]] = {
    "configmap": ["create", "configmap", "cm1", "--from-literal=a=b", "--from-literal=empty="],
    "configmap-binary": ["create", "configmap", "cm2", "--from-file=blob={dir}/blob.bin", "--from-literal=x=y"],
    "secret-generic": ["create", "secret", "generic", "s1", "--from-literal=user=admin",
                       "--from-literal=password=s3cr3t!", "--type=Opaque"],
    "secret-tls": ["create", "secret", "tls", "t1", "--cert={dir}/tls.crt", "--key={dir}/tls.key"],
    "secret-docker-registry": ["create", "secret", "docker-registry", "dr1", "--docker-server=registry.example",
                               "--docker-username=u", "--docker-password=p", "--docker-email=u@example.com"],
    "namespace": ["create", "namespace", "ns1"],
    "deployment": ["create", "deployment", "d1", "--image=nginx:1.27", "--image=busybox", "--replicas=3",
                   "--port=80"],
    "deployment-zero-replicas": ["create", "deployment", "d0", "--image=nginx", "--replicas=0"],
    "serviceaccount": ["create", "serviceaccount", "sa1"],
    "role": ["create", "role", "r1", "--verb=get,list", "--resource=pods,deployments.apps",
             "--resource-name=web"],
    "rolebinding": ["create", "rolebinding", "rb1", "--role=r1", "--user=bob", "--group=devs",
                    "--serviceaccount=default:sa1"],
    "clusterrole": ["create", "clusterrole", "cr1", "--verb=get,watch", "--resource=nodes,pods/log"],
    "clusterrole-nonresource": ["create", "clusterrole", "cr2", "--verb=get", "--non-resource-url=/healthz"],
    "clusterrole-aggregation": ["create", "clusterrole", "cr3", "--aggregation-rule=rbac.example.com/aggregate=true"],
    "clusterrolebinding": ["create", "clusterrolebinding", "crb1", "--clusterrole=cr1", "--user=alice"],
    "job": ["create", "job", "j1", "--image=busybox", "--", "echo", "hi"],
    "cronjob": ["create", "cronjob", "cj1", "--image=busybox", "--schedule=*/5 * * * *", "--restart=OnFailure",
                "--", "date"],
    "service-clusterip": ["create", "service", "clusterip", "svc1", "--tcp=80:8080", "--tcp=443:https"],
    "service-headless": ["create", "service", "clusterip", "svc2", "--clusterip=None"],
    "service-nodeport": ["create", "service", "nodeport", "svc3", "--tcp=80:8080", "--node-port=30080"],
    "service-externalname": ["create", "service", "externalname", "svc4", "--external-name=example.com"],
    "quota": ["create", "quota", "q1", "--hard=pods=2,requests.cpu=500m,memory=1Gi,count/jobs.batch=0",
              "--scopes=NotTerminating"],
    "poddisruptionbudget": ["create", "poddisruptionbudget", "pdb1", "--selector=app=web", "--min-available=50%"],
    "poddisruptionbudget-int": ["create", "poddisruptionbudget", "pdb2", "--selector=app=web,tier in (fe,be)",
                                "--max-unavailable=1"],
    "priorityclass": ["create", "priorityclass", "pc1", "--value=1000", "--description=important",
                      "--preemption-policy=Never"],
    "ingress": ["create", "ingress", "ing1", "--class=nginx", "--rule=foo.com/bar=svc1:8080",
                "--rule=bar.com/*=svc2:http,tls=my-cert", "--annotation=team=web", "--default-backend=defsvc:80"],
}


@dataclass
class Recorder:
    requests: list[dict[str, object]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)


def _discovery_doc(path: str) -> Path | None:
    parts = [p for p in path.split("/") if p]
    if not parts:
        return None
    name = "__".join(parts) + ".json"
    candidate = DISCOVERY / name
    return candidate if candidate.is_file() else None


def make_app(rec: Recorder) -> web.Application:
    async def handle(request: web.Request) -> web.StreamResponse:
        if request.method == "GET":
            if request.path == "/version":
                return web.json_response({"major": "1", "minor": "33", "gitVersion": "v1.33.1"})
            doc = _discovery_doc(request.path)
            if doc is not None:
                return web.Response(body=doc.read_bytes(), content_type="application/json")
            return web.json_response({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                      "reason": "NotFound", "code": 404}, status=404)
        body = await request.read()
        rec.requests.append({
            "method": request.method,
            "path": request.path,
            "query": request.query_string,
            "contentType": request.headers.get("Content-Type", ""),
            "accept": request.headers.get("Accept", ""),
        })
        rec.bodies.append(body)
        parts = request.path.strip("/").split("/")
        api_version = parts[1] if parts[0] == "api" else f"{parts[1]}/{parts[2]}"
        answer = {"kind": "Unknown", "apiVersion": api_version, "metadata": {"name": "recorded"}}
        return web.json_response(answer, status=201)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def write_inputs(directory: Path) -> None:
    (directory / "blob.bin").write_bytes(bytes(range(256)))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "capture.example")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (directory / "tls.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "tls.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption())
    )


def kubeconfig(directory: Path, port: int) -> Path:
    path = directory / "kubeconfig"
    path.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "c",
        "clusters": [{"name": "c", "cluster": {"server": f"http://127.0.0.1:{port}"}}],
        "users": [{"name": "u", "user": {}}],
        "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u", "namespace": "default"}}],
    }))
    return path


async def capture(out: Path, versions: list[str]) -> int:
    rec = Recorder()
    runner = web.AppRunner(make_app(rec))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    index: dict[str, dict[str, object]] = {}
    failures = 0
    try:
        with tempfile.TemporaryDirectory(prefix="capture-") as tmp:
            directory = Path(tmp)
            write_inputs(directory)
            config = kubeconfig(directory, port)
            for name, template in COMMANDS.items():
                args = [a.replace("{dir}", str(directory)) for a in template]
                entry: dict[str, object] = {"args": ["kubectl", *[a.replace(str(directory), "$DIR") for a in args]]}
                for minor in versions:
                    before = len(rec.bodies)
                    home = directory / f"home-{minor}"
                    home.mkdir(exist_ok=True)
                    env = {"HOME": str(home), "KUBECONFIG": str(config), "PATH": os.environ.get("PATH", "")}
                    proc = await asyncio.to_thread(
                        subprocess.run, [KUBECTL.format(minor=minor), *args], capture_output=True, text=True,
                        env=env, timeout=60,
                    )
                    posted = rec.bodies[before:]
                    if len(posted) != 1:
                        print(f"{name} {minor}: expected one write, saw {len(posted)}: exit {proc.returncode} "
                              f"{proc.stderr.strip()}", file=sys.stderr)
                        failures += 1
                        continue
                    request = rec.requests[before]
                    suffix = "json" if str(request["contentType"]).startswith("application/json") else "pb"
                    (out / f"{name}.{minor}.{suffix}").write_bytes(posted[0])
                    entry[minor] = {**request, "file": f"{name}.{minor}.{suffix}"}
                index[name] = entry
    finally:
        await runner.cleanup()
    (out / "commands.json").write_text(json.dumps(index, indent=1) + "\n")
    print(f"captured {len(index)} commands x {len(versions)} versions into {out} ({failures} failures)")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "unit" / "protobuf" / "fixtures")
    parser.add_argument("--versions", default="1.31,1.32,1.33")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(capture(args.out, args.versions.split(",")))


if __name__ == "__main__":
    sys.exit(main())
