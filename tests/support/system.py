"""The whole system as processes, on this test's own vhost, ports and databases."""

from scripts.system import SERVICES, System
from tests.support.ports import free_port


def isolated_system(rabbit_config: dict, new_database) -> System:
    ports = {service: free_port() for service in SERVICES}
    env = {"AMQP_URI": rabbit_config["AMQP_URI"], "LOG_LEVEL": "WARNING"}
    for service, port in ports.items():
        env[f"{service.upper()}_HTTP_ADDRESS"] = f"127.0.0.1:{port}"
        if service != "gateway":
            env[f"{service.upper()}_DATABASE_URL"] = new_database(service)
    system = System(env=env, gateway_port=ports["gateway"])
    system.ports = ports
    return system
