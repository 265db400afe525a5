package tray

import (
	"bytes"
	"encoding/binary"
	"runtime"

	"github.com/syncguard/syncguard/assets"
)

// iconFor is the tray icon of a state name (app.Status.Icon, "danger-paused") in the form
// fyne.io/systray takes on this platform: the PNG itself on Linux (it decodes it into the
// StatusNotifierItem's pixmap), an ICO on Windows (it loads the bytes with LoadImage as an
// icon, which reads no PNG file, only an ICO).
func iconFor(name string) []byte {
	b := assets.TrayIcon(name)
	if runtime.GOOS == "windows" {
		return icoOfPNG(b)
	}
	return b
}

// icoOfPNG wraps a PNG in an ICO file of one image: Windows Vista and later read an ICO
// entry stored as PNG, so nothing is decoded or redrawn (this is what Fyne's own
// conversion wrote too, after decoding and re-encoding the PNG).
func icoOfPNG(png []byte) []byte {
	w, h := 0, 0
	if len(png) >= 24 {
		// The IHDR chunk, first after the 8-byte signature: width and height at 16 and 20.
		w, h = int(binary.BigEndian.Uint32(png[16:20])), int(binary.BigEndian.Uint32(png[20:24]))
	}
	dim := func(n int) byte {
		if n <= 0 || n >= 256 {
			return 0 // 0 means 256 or more
		}
		return byte(n)
	}
	var b bytes.Buffer
	// ICONDIR: reserved, type 1 (icon), one image.
	binary.Write(&b, binary.LittleEndian, [3]uint16{0, 1, 1})
	// ICONDIRENTRY: width, height, colours, reserved, planes, bits per pixel, size, offset.
	b.Write([]byte{dim(w), dim(h), 0, 0})
	binary.Write(&b, binary.LittleEndian, [2]uint16{1, 32})
	binary.Write(&b, binary.LittleEndian, [2]uint32{uint32(len(png)), 6 + 16})
	b.Write(png)
	return b.Bytes()
}
