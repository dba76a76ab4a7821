"""The console is served by the gateway in production too (unlike GraphiQL): static files
under the strict policy, and nothing else opened by it."""

import requests

from services.gateway import graphiql
from tests.integration.gateway.conftest import start_gateway


def test_production_serves_the_console_and_its_modules(vhost_pipeline, request):
    config, _, stop = start_gateway(vhost_pipeline, request, PRODUCTION="true")
    base = f"http://{config['WEB_SERVER_ADDRESS']}"
    try:
        page = requests.get(base + "/", timeout=5)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"] == graphiql.CONTENT_SECURITY_POLICY
        module = requests.get(base + "/console/vendor/htm-preact-standalone.module.js", timeout=5)
        assert module.status_code == 200
        assert module.headers["content-type"].startswith("text/javascript")
        assert module.headers["x-content-type-options"] == "nosniff"
        worker = requests.get(base + "/sw.js", timeout=5)  # at the root: scope /
        assert worker.status_code == 200 and worker.headers["content-type"].startswith(
            "text/javascript")
        assert worker.headers["content-security-policy"] == graphiql.CONTENT_SECURITY_POLICY
        shell = requests.get(base + "/console/shell.json", timeout=5).json()
        assert all(requests.get(base + path, timeout=5).status_code == 200 for path in shell)
        for path in ("/console/", "/console/../config.yaml", "/index.html", "/console/x.js"):
            assert requests.get(base + path, timeout=5).status_code == 404, path
        assert requests.post(base + "/", timeout=5).status_code in (404, 405)
    finally:
        stop()
