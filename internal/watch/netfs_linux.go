package watch

import "syscall"

// Magic numbers of statfs(2) for network file systems, where inotify sees only this
// machine's writes.
var networkFS = map[int64]bool{
	0x6969:     true, // NFS
	0x517B:     true, // SMB
	0xFF534D42: true, // CIFS
	0xFE534D42: true, // SMB2
	0x65735546: true, // FUSE (sshfs and others: their events are not trustworthy either)
	0x564C:     true, // NCP
	0x73757245: true, // Coda
}

func onNetworkFS(p string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(p, &st); err != nil {
		return false
	}
	return networkFS[int64(st.Type)]
}
