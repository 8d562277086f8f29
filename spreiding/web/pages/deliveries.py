"""Plan melden: a ministry (or BZK) registers a voornemen or plan as a new case."""

from fastapi import APIRouter

router = APIRouter()
