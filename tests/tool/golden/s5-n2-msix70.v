file: s5-n2-msix70.dtb (fdt, valid)
blob: 2706 bytes, devstate-v1, 2 devices
  kernel-release 6.1.0-synth
  generation 1, timestamp-ns 1780000160154358618
  pool 0x31000000 size 0x100000

0000:5b:00.0 Unclassified device [00ff]: Fixture Virtual Devices Device [1234:3046] (rev bb)
	Subsystem: 1234:fbfd
	Command: 0x0407
	Bridges: 0000:00:07.0 0000:2d:04.1
	Driver: devstate_edu
	BAR0: mem at 0x80000000 [size=0x10000]
	BAR1: mem,prefetch at 0x80010000 [size=0x10000]
	BAR2: io at 0x1000 [size=0x8]
	BAR3: mem at 0x80020000 [size=0x10000]
	BAR4: mem,prefetch at 0x80030000 [size=0x10000]
	BAR5: io at 0x1008 [size=0x8]
	Expansion ROM at 0x80040000 [size=0x20000]
	Interrupt: msix, 70 vectors, pin B, line 23
		vector 0: address 0xfee00000 data 0x00000020 masked
		vector 1: address 0xfee01000 data 0x00000021
		vector 2: address 0xfee02000 data 0x00000022
		vector 3: address 0xfee03000 data 0x00000023
		vector 4: address 0xfee04000 data 0x00000024
		vector 5: address 0xfee05000 data 0x00000025 masked
		vector 6: address 0xfee06000 data 0x00000026
		vector 7: address 0xfee07000 data 0x00000027
		vector 8: address 0xfee08000 data 0x00000028 masked
		vector 9: address 0xfee09000 data 0x00000029
		vector 10: address 0xfee0a000 data 0x0000002a
		vector 11: address 0xfee0b000 data 0x0000002b
		vector 12: address 0xfee0c000 data 0x0000002c
		vector 13: address 0xfee0d000 data 0x0000002d
		vector 14: address 0xfee0e000 data 0x0000002e
		vector 15: address 0xfee0f000 data 0x0000002f
		vector 16: address 0xfee10000 data 0x00000030
		vector 17: address 0xfee11000 data 0x00000031
		vector 18: address 0xfee12000 data 0x00000032
		vector 19: address 0xfee13000 data 0x00000033
		vector 20: address 0xfee14000 data 0x00000034
		vector 21: address 0xfee15000 data 0x00000035
		vector 22: address 0xfee16000 data 0x00000036
		vector 23: address 0xfee17000 data 0x00000037 masked
		vector 24: address 0xfee18000 data 0x00000038
		vector 25: address 0xfee19000 data 0x00000039
		vector 26: address 0xfee1a000 data 0x0000003a
		vector 27: address 0xfee1b000 data 0x0000003b
		vector 28: address 0xfee1c000 data 0x0000003c
		vector 29: address 0xfee1d000 data 0x0000003d
		vector 30: address 0xfee1e000 data 0x0000003e
		vector 31: address 0xfee1f000 data 0x0000003f masked
		vector 32: address 0xfee20000 data 0x00000040
		vector 33: address 0xfee21000 data 0x00000041
		vector 34: address 0xfee22000 data 0x00000042 masked
		vector 35: address 0xfee23000 data 0x00000043
		vector 36: address 0xfee24000 data 0x00000044
		vector 37: address 0xfee25000 data 0x00000045
		vector 38: address 0xfee26000 data 0x00000046
		vector 39: address 0xfee27000 data 0x00000047 masked
		vector 40: address 0xfee28000 data 0x00000048
		vector 41: address 0xfee29000 data 0x00000049
		vector 42: address 0xfee2a000 data 0x0000004a masked
		vector 43: address 0xfee2b000 data 0x0000004b
		vector 44: address 0xfee2c000 data 0x0000004c
		vector 45: address 0xfee2d000 data 0x0000004d
		vector 46: address 0xfee2e000 data 0x0000004e
		vector 47: address 0xfee2f000 data 0x0000004f
		vector 48: address 0xfee30000 data 0x00000050
		vector 49: address 0xfee31000 data 0x00000051
		vector 50: address 0xfee32000 data 0x00000052
		vector 51: address 0xfee33000 data 0x00000053
		vector 52: address 0xfee34000 data 0x00000054
		vector 53: address 0xfee35000 data 0x00000055
		vector 54: address 0xfee36000 data 0x00000056
		vector 55: address 0xfee37000 data 0x00000057
		vector 56: address 0xfee38000 data 0x00000058
		vector 57: address 0xfee39000 data 0x00000059 masked
		vector 58: address 0xfee3a000 data 0x0000005a
		vector 59: address 0xfee3b000 data 0x0000005b
		vector 60: address 0xfee3c000 data 0x0000005c
		vector 61: address 0xfee3d000 data 0x0000005d
		vector 62: address 0xfee3e000 data 0x0000005e
		vector 63: address 0xfee3f000 data 0x0000005f
		vector 64: address 0xfee00000 data 0x00000060
		vector 65: address 0xfee01000 data 0x00000061 masked
		vector 66: address 0xfee02000 data 0x00000062
		vector 67: address 0xfee03000 data 0x00000063
		vector 68: address 0xfee04000 data 0x00000064
		vector 69: address 0xfee05000 data 0x00000065
	DMA mask: 0xffffffffffffffff, coherent 0xffffffff
	Preserved: "evtq" 8192 bytes at phys 0x31000000 bus 0x31000000
	Preserved: "fw-log" 4096 bytes at phys 0x31002000 bus 0x31002000
	Driver state: devstate-synth,state-v1
		compatible = "devstate-synth,state-v1"
		queue-count = <0x00000005>
		ring-heads = <0x00000e4a 0x0000073e 0x0000064d 0x0000046b 0x000002c6>
		firmware = "synth-fw 1.2.3"
		completions = /u64/ 0x7484f9ceedad86c1
		opaque = <0x1ae1fddf 0x1d89385a 0x9e86c8d8 0x938ab004 0x7f0a951b 0x537bdf71 0xd46c1893 0xe7ba101a ...>

0000:5b:00.1 Mass storage controller [0100]: Device [1af4:e87f] (rev fa)
	Subsystem: 1af4:c469
	Command: 0x0404
	Bridges: 0000:00:04.0 0000:1e:07.1 0000:3c:03.0
	Driver: virtio-pci
	Interrupt: msix, 70 vectors, pin A, line 23
		vector 0: address 0xfee01000 data 0x00000027
		vector 1: address 0xfee02000 data 0x00000028 masked
		vector 2: address 0xfee03000 data 0x00000029
		vector 3: address 0xfee04000 data 0x0000002a
		vector 4: address 0xfee05000 data 0x0000002b
		vector 5: address 0xfee06000 data 0x0000002c
		vector 6: address 0xfee07000 data 0x0000002d
		vector 7: address 0xfee08000 data 0x0000002e
		vector 8: address 0xfee09000 data 0x0000002f
		vector 9: address 0xfee0a000 data 0x00000030 masked
		vector 10: address 0xfee0b000 data 0x00000031
		vector 11: address 0xfee0c000 data 0x00000032
		vector 12: address 0xfee0d000 data 0x00000033
		vector 13: address 0xfee0e000 data 0x00000034
		vector 14: address 0xfee0f000 data 0x00000035
		vector 15: address 0xfee10000 data 0x00000036
		vector 16: address 0xfee11000 data 0x00000037
		vector 17: address 0xfee12000 data 0x00000038
		vector 18: address 0xfee13000 data 0x00000039
		vector 19: address 0xfee14000 data 0x0000003a
		vector 20: address 0xfee15000 data 0x0000003b masked
		vector 21: address 0xfee16000 data 0x0000003c
		vector 22: address 0xfee17000 data 0x0000003d
		vector 23: address 0xfee18000 data 0x0000003e
		vector 24: address 0xfee19000 data 0x0000003f
		vector 25: address 0xfee1a000 data 0x00000040
		vector 26: address 0xfee1b000 data 0x00000041
		vector 27: address 0xfee1c000 data 0x00000042
		vector 28: address 0xfee1d000 data 0x00000043 masked
		vector 29: address 0xfee1e000 data 0x00000044
		vector 30: address 0xfee1f000 data 0x00000045
		vector 31: address 0xfee20000 data 0x00000046
		vector 32: address 0xfee21000 data 0x00000047
		vector 33: address 0xfee22000 data 0x00000048
		vector 34: address 0xfee23000 data 0x00000049
		vector 35: address 0xfee24000 data 0x0000004a masked
		vector 36: address 0xfee25000 data 0x0000004b masked
		vector 37: address 0xfee26000 data 0x0000004c
		vector 38: address 0xfee27000 data 0x0000004d
		vector 39: address 0xfee28000 data 0x0000004e
		vector 40: address 0xfee29000 data 0x0000004f
		vector 41: address 0xfee2a000 data 0x00000050
		vector 42: address 0xfee2b000 data 0x00000051
		vector 43: address 0xfee2c000 data 0x00000052 masked
		vector 44: address 0xfee2d000 data 0x00000053
		vector 45: address 0xfee2e000 data 0x00000054
		vector 46: address 0xfee2f000 data 0x00000055
		vector 47: address 0xfee30000 data 0x00000056
		vector 48: address 0xfee31000 data 0x00000057
		vector 49: address 0xfee32000 data 0x00000058
		vector 50: address 0xfee33000 data 0x00000059
		vector 51: address 0xfee34000 data 0x0000005a
		vector 52: address 0xfee35000 data 0x0000005b
		vector 53: address 0xfee36000 data 0x0000005c
		vector 54: address 0xfee37000 data 0x0000005d
		vector 55: address 0xfee38000 data 0x0000005e
		vector 56: address 0xfee39000 data 0x0000005f
		vector 57: address 0xfee3a000 data 0x00000060
		vector 58: address 0xfee3b000 data 0x00000061
		vector 59: address 0xfee3c000 data 0x00000062
		vector 60: address 0xfee3d000 data 0x00000063
		vector 61: address 0xfee3e000 data 0x00000064
		vector 62: address 0xfee3f000 data 0x00000065 masked
		vector 63: address 0xfee00000 data 0x00000066
		vector 64: address 0xfee01000 data 0x00000067
		vector 65: address 0xfee02000 data 0x00000068
		vector 66: address 0xfee03000 data 0x00000069
		vector 67: address 0xfee04000 data 0x0000006a
		vector 68: address 0xfee05000 data 0x0000006b
		vector 69: address 0xfee06000 data 0x0000006c
	DMA mask: 0x7fffffffff, coherent 0xffffffff
	Preserved: "stats" 16384 bytes at phys 0x31010000 bus 0xfff00010000
	Preserved: "ring" 8192 bytes at phys 0x31014000 bus 0xfff00014000
	Preserved: "buf" 4096 bytes at phys 0x31016000 bus 0xfff00016000
	Driver state: devstate-synth,state-v1
		compatible = "devstate-synth,state-v1"
		queue-count = <0x00000007>
		ring-heads = <0x00000881 0x00000987 0x000001a0 0x0000016e 0x0000053e 0x000006e0 0x0000032a>
		firmware = "synth-fw 1.2.3"
		completions = /u64/ 0x765d61f154144b54
		opaque = <0x3b7b8d06 0xaa89f982 0xbd303c47 0xf96e4b6f 0x7b903319 0x093a1e14 0x23949676 0xd0607a0b ...>
# exit 0
