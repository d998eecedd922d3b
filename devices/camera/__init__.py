"""Camera device: capture (OpenCV or simulator), preview frames for the UI, and frame analysers
(QR codes, document capture, live-photo face check) on their own threads. Qt-free."""

from devices.camera.capture import Camera, CaptureStats, camera_from_config
from devices.camera.document import (
    DocumentAnalyser,
    DocumentKind,
    DocumentResult,
    capture_document,
    manual_capture,
)
from devices.camera.face import FACE_HINTS, FaceAnalyser, FaceBox, FaceIssue, FaceResult
from devices.camera.frames import Frame, FrameQueue, PreviewFrame
from devices.camera.pipeline import AnalyserStats, AnalysisPipeline, AnalysisResult, FrameAnalyser
from devices.camera.qr import QrAnalyser, QrCode, QrResult
from devices.camera.simulator import MediaSource, SyntheticSource
from devices.camera.sources import SourceSpec, open_source, parse_source

__all__ = [
    "FACE_HINTS",
    "AnalyserStats",
    "AnalysisPipeline",
    "AnalysisResult",
    "Camera",
    "CaptureStats",
    "DocumentAnalyser",
    "DocumentKind",
    "DocumentResult",
    "FaceAnalyser",
    "FaceBox",
    "FaceIssue",
    "FaceResult",
    "Frame",
    "FrameAnalyser",
    "FrameQueue",
    "MediaSource",
    "PreviewFrame",
    "QrAnalyser",
    "QrCode",
    "QrResult",
    "SourceSpec",
    "SyntheticSource",
    "camera_from_config",
    "capture_document",
    "manual_capture",
    "open_source",
    "parse_source",
]
