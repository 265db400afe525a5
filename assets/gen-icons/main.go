// Command gen-icons draws SyncGuard's icons and writes them as PNG into assets/: one tray
// icon per state (icon-<state>.png, 64 px) and the app icon (icon-app.png, 512 px). The
// PNGs are committed and embedded; run this (go run ./assets/gen-icons) after changing
// the drawing. PNG, because fyne.io/systray cannot show an SVG in the tray.
//
// Each state has its own glyph inside the shield (a check, an exclamation mark, a cross,
// pause bars, a gear-like ring), not only its own colour, so that it reads at 16 px on
// light and dark panels and for colour-blind users. A dark rim keeps the shape on a light
// panel, a light halo inside it on a dark one.
//
// While warnings are paused the icon keeps the state's colour and glyph, with a pause
// badge in its lower right corner (icon-<state>-paused.png): a pause silences popups, it
// does not make a danger safe, so the icon must not turn grey over one.
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
)

var fills = map[string]color.RGBA{
	"ok":        {0x1e, 0x8e, 0x3e, 0xff}, // green
	"attention": {0xf2, 0x9d, 0x00, 0xff}, // amber
	"danger":    {0xd3, 0x2f, 0x2f, 0xff}, // red
	"paused":    {0x6b, 0x75, 0x85, 0xff}, // slate
	"setup":     {0x3b, 0x6e, 0xc9, 0xff}, // blue
}

func main() {
	dir := "assets"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	for state := range fills {
		write(filepath.Join(dir, "icon-"+state+".png"), draw(state, 64))
	}
	for _, state := range []string{"ok", "attention", "danger"} {
		write(filepath.Join(dir, "icon-"+state+"-paused.png"), draw(state+"-paused", 64))
	}
	write(filepath.Join(dir, "icon-app.png"), draw("ok", 512))
}

func write(path string, data []byte) {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen-icons:", err)
		os.Exit(1)
	}
}

// draw renders the icon with 4x4 supersampling, so edges are smooth when a panel scales
// it down to 16 px.
func draw(name string, size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	state, paused := strings.CutSuffix(name, "-paused")
	fill := fills[state]
	rim := color.RGBA{0x14, 0x14, 0x14, 0xff}
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	glyphColour := white
	if state == "attention" {
		glyphColour = color.RGBA{0x1a, 0x1a, 0x1a, 0xff} // white on amber is too faint
	}
	const ss = 4
	s := float64(size * ss)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					u := (float64(x*ss+sx) + 0.5) / s
					v := (float64(y*ss+sy) + 0.5) / s
					if paused {
						if c, in := badge(u, v); in {
							r += float64(c.R)
							g += float64(c.G)
							b += float64(c.B)
							a++
							continue
						}
					}
					if !shield(u, v, 0) {
						continue
					}
					c := fill
					switch {
					case !shield(u, v, 0.06):
						c = rim
					case glyph(state, u, v):
						c = glyphColour
					}
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
					a++
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(r / a), uint8(g / a), uint8(b / a), uint8(255 * a / ss / ss)})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// shield reports whether (u, v), in unit coordinates, is inside the shield shrunk by m.
// It fills almost the whole square: at 16 px every pixel counts.
func shield(u, v, m float64) bool {
	if u < 0.06+m || u > 0.94-m || v < 0.03+m || v > 0.98-m {
		return false
	}
	if v < 0.5 {
		return true
	}
	// The lower part narrows to a point.
	half := (0.44 - m) * math.Sqrt(math.Max(0, (0.98-m-v)/(0.48-m)))
	return math.Abs(u-0.5) <= half
}

// badge is the pause mark of a paused icon: a slate disc with a dark rim and white pause
// bars, over the shield's lower right corner, large enough to read at 16 px.
func badge(u, v float64) (color.RGBA, bool) {
	const cx, cy, r = 0.75, 0.75, 0.25
	d := math.Hypot(u-cx, v-cy)
	switch {
	case d > r:
		return color.RGBA{}, false
	case d > r-0.05:
		return color.RGBA{0x14, 0x14, 0x14, 0xff}, true
	case math.Abs(v-cy) < 0.1 && (math.Abs(u-(cx-0.055)) < 0.03 || math.Abs(u-(cx+0.055)) < 0.03):
		return color.RGBA{0xff, 0xff, 0xff, 0xff}, true
	}
	return fills["paused"], true
}

func glyph(state string, u, v float64) bool {
	seg := func(x1, y1, x2, y2, w float64) bool { return distSeg(u, v, x1, y1, x2, y2) < w }
	switch state {
	case "ok": // a check mark
		return seg(0.27, 0.47, 0.44, 0.64, 0.085) || seg(0.44, 0.64, 0.74, 0.28, 0.085)
	case "attention": // an exclamation mark
		return seg(0.5, 0.2, 0.5, 0.52, 0.09) || math.Hypot(u-0.5, v-0.71) < 0.09
	case "danger": // a cross
		return seg(0.3, 0.24, 0.7, 0.64, 0.085) || seg(0.7, 0.24, 0.3, 0.64, 0.085)
	case "paused": // pause bars
		return (math.Abs(u-0.37) < 0.075 || math.Abs(u-0.63) < 0.075) && v > 0.22 && v < 0.66
	default: // not set up: a ring
		d := math.Hypot(u-0.5, v-0.44)
		return d > 0.11 && d < 0.22
	}
}

func distSeg(px, py, x1, y1, x2, y2 float64) float64 {
	dx, dy := x2-x1, y2-y1
	t := math.Max(0, math.Min(1, ((px-x1)*dx+(py-y1)*dy)/(dx*dx+dy*dy)))
	return math.Hypot(px-(x1+t*dx), py-(y1+t*dy))
}
