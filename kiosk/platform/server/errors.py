"""API errors: ``{"error": {"code", "message"}}`` with an HTTP status and optional headers."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Raised by service code; the app turns it into the contract's error response."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None, details: Any = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.details = details

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}
