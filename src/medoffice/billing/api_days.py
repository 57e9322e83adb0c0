"""Placeholder until its owner fills it in this session."""

from ninja import Router

router = Router()
