//go:build !windows

package outlook

// Attach is the real Connector; Outlook's object model exists only on Windows.
func Attach() (Session, error) { return nil, ErrUnsupported }
