; Inno Setup script: the Windows installer of the one-folder app.
;
; Built by .github/workflows/desktop-builds.yml on a hosted Windows runner, after
; PyInstaller has made build\bundle\dist\escalation-recorder\ from
; packaging\escalation-recorder.spec:
;     iscc /DAppVersion=0.1.0 packaging\windows\escalation-recorder.iss
; It has not been compiled on the project's own (Linux) machines.
;
; The vault is never touched: it lives in the user's profile
; (%LOCALAPPDATA%\escalation-recorder\vault), not in the install folder, and
; this script deletes only what it installed. Updating installs over the old
; version (same AppId); uninstalling removes the program and its shortcuts only.
; Silent deployment (Intune, SCCM): see docs/install.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Escalation Recorder"
#define Bundle "..\..\build\bundle\dist\escalation-recorder"

[Setup]
; The AppId ties updates and the uninstaller to this product: never change it.
; Its uninstall key is HKLM (or HKCU)\Software\Microsoft\Windows\CurrentVersion\
; Uninstall\{C5E86DD1-107A-47DE-9ED8-5B198F8711C6}_is1 (a detection rule for Intune).
AppId={{C5E86DD1-107A-47DE-9ED8-5B198F8711C6}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Escalation Recorder
VersionInfoVersion={#AppVersion}
; Program Files for a per-machine install (the default, as administrator);
; %LOCALAPPDATA%\Programs for a per-user install (/CURRENTUSER, no administrator).
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\build\bundle\installer
OutputBaseFilename=escalation-recorder-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppName}.exe
UninstallDisplayName={#AppName}
; A running copy is asked to close (Windows' Restart Manager) before its files
; are replaced, and is not restarted.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[InstallDelete]
; An update replaces the previous version's program files wholesale, so that no
; module of an older release is left beside the new one. Install folder only.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppName}.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppName}.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\{#AppName}.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section, on purpose: the uninstaller removes only the
; files listed above. The vault, its backups and the key in Windows Credential
; Manager belong to each user and stay (docs/install.md says how to remove them).
