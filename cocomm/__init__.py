"""cocomm: governance of NHS primary care co-commissioning."""

from cocomm.celery import app as celery_app

__all__ = ["celery_app"]
