"""``spor serve``: the decision tree as a web page for agents, and an HTTP API for helpdesks.

An ASGI application (Starlette, run by uvicorn): ``app`` builds it,
``api`` holds the ``/api/v1`` routes, ``page`` the agent's page, ``core``
what every request shares. docs/serve.md describes it for agents and
admins, docs/deploy.md how to run it on several machines.
"""
