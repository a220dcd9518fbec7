; Inno Setup script: the Windows installer for the Clearance one-folder bundle.
;
; Build the bundle first, from the repository root:
;     python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller build_scripts\clearance.spec
; then compile (Inno Setup 6.3 or later):
;     iscc /DAppVersion=0.1.0 build_scripts\windows\clearance.iss
; → dist\clearance-<version>-windows-x64-setup.exe
;
; The installer needs no administrator rights: it installs for the current user into
; %LOCALAPPDATA%\Programs\Clearance unless the user chooses "install for all users"
; (then into Program Files). It adds Start-menu entries, optionally a desktop icon and the command-line
; `clearance` on PATH. Silent install: setup.exe /VERYSILENT /CURRENTUSER [/TASKS="addtopath"] [/DIR=…].
; The user's database (%LOCALAPPDATA%\Clearance) is left in place on uninstall.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z clearance.iss
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\clearance"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\clearance.ico"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
AppId={{6B0C2E1D-4F3A-4C7E-9A51-3D2F8C1B7E42}
AppName=Clearance
AppVersion={#AppVersion}
AppVerName=Clearance {#AppVersion}
AppPublisher=Clearance
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Clearance
DefaultGroupName=Clearance
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=clearance-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\clearance-gui.exe
UninstallDisplayName=Clearance
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the clearance command line to PATH"; GroupDescription: "Command line:"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A new version replaces the previous bundle's libraries as a whole.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\Clearance"; Filename: "{app}\clearance-gui.exe"; Comment: "Check whether a prospective customer may be served"
Name: "{autodesktop}\Clearance"; Filename: "{app}\clearance-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\clearance-gui.exe"; Description: "{cm:LaunchProgram,Clearance}"; Flags: nowait postinstall skipifsilent

[Code]
{ PATH entry for the console executable: the user's PATH for a per-user install, the system PATH for all users. }

function EnvironmentRoot: Integer;
begin
  if IsAdminInstallMode then Result := HKEY_LOCAL_MACHINE else Result := HKEY_CURRENT_USER;
end;

function EnvironmentKey: String;
begin
  if IsAdminInstallMode then
    Result := 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
  else
    Result := 'Environment';
end;

function PathContains(const Paths, Dir: String): Boolean;
begin
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') > 0;
end;

procedure AddToPath(const Dir: String);
var
  Paths: String;
begin
  if not RegQueryStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths) then Paths := '';
  if PathContains(Paths, Dir) then exit;
  if (Paths <> '') and (Copy(Paths, Length(Paths), 1) <> ';') then Paths := Paths + ';';
  RegWriteExpandStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths + Dir);
end;

procedure RemoveFromPath(const Dir: String);
var
  Paths: String;
  P: Integer;
begin
  if not RegQueryStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths) then exit;
  Paths := ';' + Paths + ';';
  P := Pos(';' + Uppercase(Dir) + ';', Uppercase(Paths));
  if P = 0 then exit;
  Delete(Paths, P, Length(Dir) + 1);
  Paths := Copy(Paths, 2, Length(Paths) - 2);
  RegWriteExpandStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and WizardIsTaskSelected('addtopath') then
    AddToPath(ExpandConstant('{app}'));
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RemoveFromPath(ExpandConstant('{app}'));
end;
