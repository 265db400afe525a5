package conduit

// DetectOptions says where to look for paired devices.
type DetectOptions struct {
	// Live reads this workstation: the registry on Windows and the platform's Apple
	// pairing and backup folders.
	Live bool
	// RegFiles are .reg exports of the Partners key (from this or another workstation).
	RegFiles []string
	// AppleLockdown and AppleBackups are folders of pairing records and of backups.
	AppleLockdown, AppleBackups []string
}

// Detect finds the devices paired with a workstation. Each source that cannot be read
// adds an error that names it; the other sources are still read, because one unreadable
// file must not hide a device another source shows.
func Detect(opt DetectOptions) ([]Device, []error) {
	var devs []Device
	var errs []error
	lockdown, backups := opt.AppleLockdown, opt.AppleBackups
	if opt.Live {
		d, err := LivePartnerships()
		devs = append(devs, d...)
		if err != nil {
			errs = append(errs, err)
		}
		l, b := AppleLocations()
		lockdown = append(lockdown, l)
		backups = append(backups, b...)
	}
	for _, f := range opt.RegFiles {
		rf, err := ReadRegFile(f, KeepPartners)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, e := range rf.Errors {
			errs = append(errs, e)
		}
		devs = append(devs, PartnershipsFromReg(rf)...)
	}
	for _, dir := range lockdown {
		d, e := LockdownDevices(dir)
		devs, errs = append(devs, d...), append(errs, e...)
	}
	for _, dir := range backups {
		d, e := BackupDevices(dir)
		devs, errs = append(devs, d...), append(errs, e...)
	}
	// A device with a pairing record and a backup is one device: Merge joins them by id.
	return Merge(devs, nil), errs
}
