"""Durable outbox of submissions and evaluations: capture, encryption at rest, receipts, uploader."""
