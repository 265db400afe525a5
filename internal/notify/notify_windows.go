package notify

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"unicode/utf16"
)

// A toast through Windows' own notification manager, the way Fyne's app showed them (so
// the product looks the same), but run by PowerShell from a process without Fyne. A balloon
// from the tray icon (Shell_NotifyIcon) would need the icon's window handle, which
// fyne.io/systray keeps to itself, and Windows 10 and later show balloons as toasts anyway.
//
// The title and body come from files others wrote (contact names): they reach the script
// as environment variables and become XML text nodes, never script text, so nothing in
// them can run as PowerShell.
const toastScript = `
[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] > $null
$template = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastImageAndText02)
$toastXml = [xml] $template.GetXml()
$toastXml.GetElementsByTagName("text")[0].AppendChild($toastXml.CreateTextNode($env:SYNCGUARD_TOAST_TITLE)) > $null
$toastXml.GetElementsByTagName("text")[1].AppendChild($toastXml.CreateTextNode($env:SYNCGUARD_TOAST_BODY)) > $null
if ($env:SYNCGUARD_TOAST_ICON) { $toastXml.GetElementsByTagName("image")[0].SetAttribute("src", "file:///" + $env:SYNCGUARD_TOAST_ICON) > $null }
$xml = New-Object Windows.Data.Xml.Dom.XmlDocument
$xml.LoadXml($toastXml.OuterXml)
$toast = [Windows.UI.Notifications.ToastNotification]::new($xml)
[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier($env:SYNCGUARD_TOAST_APP).Show($toast)
`

// createNoWindow keeps PowerShell, a console program, from opening a console window when
// the tray (a GUI program) starts it.
const createNoWindow = 0x08000000

func (n *Notifier) send(title, body string) error {
	cmd := exec.Command("powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
		"-EncodedCommand", encodeCommand(toastScript))
	cmd.Env = append(os.Environ(),
		"SYNCGUARD_TOAST_TITLE="+title, "SYNCGUARD_TOAST_BODY="+body,
		"SYNCGUARD_TOAST_ICON="+n.Icon, "SYNCGUARD_TOAST_APP="+AppID)
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("desktop notification: %v: %s", err, out)
	}
	return nil
}

// encodeCommand is PowerShell's -EncodedCommand form: base64 of UTF-16LE, so the script
// needs no quoting on the command line and no temporary file.
func encodeCommand(script string) string {
	u := utf16.Encode([]rune(script))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return base64.StdEncoding.EncodeToString(b)
}
