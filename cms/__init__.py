"""Project package: settings, root URLs, WSGI/ASGI entry points, base templates and static files.

Import direction: ``cms`` wires the apps together and may import any of them; no app imports ``cms``.
"""
