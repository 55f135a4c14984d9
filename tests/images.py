"""Test images carrying the metadata a phone would add (EXIF with GPS, XMP)."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 0x8825
IMAGE_DESCRIPTION = 0x010E
MAKE, MODEL = 0x010F, 0x0110
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description GPSLatitude="15,28.5N"/></rdf:RDF></x:xmpmeta>'


def jpeg_with_exif(
    description: str = "Photo of the threat", size=(64, 48), orientation: int = 1
) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(size[0] // 2):
        image.putpixel((x, 0), (0, 0, 255))  # a marker so orientation can be checked
    exif = Image.Exif()
    exif[IMAGE_DESCRIPTION] = description
    exif[MAKE], exif[MODEL] = "PhoneMaker", "Model X"
    exif[0x0112] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (15.0, 28.0, 30.0), 3: "W", 4: (90.0, 22.0, 5.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, xmp=XMP, quality=90)
    return out.getvalue()


def png_with_text(text: str) -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 200, 10)).save(out, "PNG", pnginfo=info)
    return out.getvalue()
