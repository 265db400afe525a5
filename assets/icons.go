// Package assets holds SyncGuard's images: the tray icons, one per state, and the app
// icon. They are drawn here and encoded as PNG, because fyne.io/systray cannot show an
// SVG in the tray. Each state differs in shape as well as colour (a check, an exclamation
// mark, a cross, pause bars, a ring), so it reads at 16 px, on light and dark panels, and
// for colour-blind users.
package assets

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Icon states.
const (
	OK        = "ok"
	Attention = "attention"
	Danger    = "danger"
	Paused    = "paused"
	Setup     = "setup"
)

var fills = map[string]color.RGBA{
	OK:        {0x1b, 0x7f, 0x3b, 0xff}, // green
	Attention: {0xd9, 0x8c, 0x00, 0xff}, // amber
	Danger:    {0xc6, 0x28, 0x28, 0xff}, // red
	Paused:    {0x5f, 0x6b, 0x7a, 0xff}, // slate
	Setup:     {0x35, 0x5f, 0xb0, 0xff}, // blue
}

// TrayIcon is the PNG for a state (64 px; panels scale it down).
func TrayIcon(state string) []byte { return draw(state, 64) }

// AppIcon is the application's icon (512 px, the "all good" shield).
func AppIcon() []byte { return draw(OK, 512) }

func draw(state string, size int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	fill, ok := fills[state]
	if !ok {
		fill = fills[Setup]
	}
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	outline := color.RGBA{0x10, 0x10, 0x10, 0xff}
	s := float64(size)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			// Unit coordinates: the shield spans x in [0.1, 0.9], y in [0.06, 0.96].
			u, v := (float64(x)+0.5)/s, (float64(y)+0.5)/s
			in := shield(u, v, 0)
			if !in {
				continue
			}
			c := fill
			if !shield(u, v, 0.055) {
				c = outline // a dark rim keeps the shape on a light panel, the fill on a dark one
			} else if glyph(state, u, v) {
				c = white
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// shield reports whether (u, v) is inside the shield shrunk by m.
func shield(u, v, m float64) bool {
	if u < 0.1+m || u > 0.9-m || v < 0.06+m || v > 0.96-m {
		return false
	}
	if v < 0.55 {
		return true
	}
	// The lower part narrows to a point.
	half := (0.4 - m) * math.Sqrt(math.Max(0, (0.96-m-v)/(0.41-m)))
	return math.Abs(u-0.5) <= half
}

func glyph(state string, u, v float64) bool {
	seg := func(x1, y1, x2, y2, w float64) bool { return distSeg(u, v, x1, y1, x2, y2) < w }
	switch state {
	case OK: // a check mark
		return seg(0.3, 0.48, 0.45, 0.64, 0.07) || seg(0.45, 0.64, 0.72, 0.3, 0.07)
	case Attention: // an exclamation mark
		return seg(0.5, 0.22, 0.5, 0.56, 0.075) || math.Hypot(u-0.5, v-0.72) < 0.075
	case Danger: // a cross
		return seg(0.32, 0.28, 0.68, 0.66, 0.075) || seg(0.68, 0.28, 0.32, 0.66, 0.075)
	case Paused: // pause bars
		return (math.Abs(u-0.39) < 0.065 || math.Abs(u-0.61) < 0.065) && v > 0.26 && v < 0.68
	default: // set-up: a ring
		d := math.Hypot(u-0.5, v-0.47)
		return d > 0.12 && d < 0.21
	}
}

func distSeg(px, py, x1, y1, x2, y2 float64) float64 {
	dx, dy := x2-x1, y2-y1
	t := math.Max(0, math.Min(1, ((px-x1)*dx+(py-y1)*dy)/(dx*dx+dy*dy)))
	return math.Hypot(px-(x1+t*dx), py-(y1+t*dy))
}
