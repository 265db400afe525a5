//go:build !windows

package workstation

// DetectAddin finds nothing outside Windows: InterAction's Outlook add-in is a Windows
// COM add-in.
func DetectAddin() AddinResult { return AddinResult{} }
