/* bcryptprimitives.dll for Wine 8, which lacks ProcessPrng: every Go program built with
 * Go 1.22 or later imports it and dies at start without it. Real Windows 10 and later has
 * it; this file is only ever copied into a test Wine prefix (DESIGN.md §3). */
#include <windows.h>

/* SystemFunction036 is RtlGenRandom, exported by advapi32 on every Windows and Wine. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		len -= chunk;
	}
	return TRUE;
}
