# Smoke test of a Windows bundle or installation folder (used by .github/workflows/installers.yml):
#   clearance.exe check "TikTok Pte. Ltd." --json   → exit 0 and status "restricted"
#   clearance.exe gui --self-test (offscreen)       → exit 0
#   clearance-gui.exe --self-test (offscreen)       → exit 0 (the windowed executable)
# On a fresh machine (a CI runner) the first check also creates the user database in %LOCALAPPDATA%\Clearance.
param([Parameter(Mandatory = $true)][string]$Dir)
$ErrorActionPreference = "Stop"

$cli = Join-Path $Dir "clearance.exe"
$gui = Join-Path $Dir "clearance-gui.exe"
foreach ($exe in @($cli, $gui)) {
    if (-not (Test-Path $exe)) { throw "missing $exe" }
}

$json = & $cli check "TikTok Pte. Ltd." --json
if ($LASTEXITCODE -ne 0) { throw "clearance check exited $LASTEXITCODE" }
$status = ($json | Out-String | ConvertFrom-Json).determination.status
Write-Host "check: status $status"
if ($status -ne "restricted") { throw "expected status restricted, got '$status'" }

$env:QT_QPA_PLATFORM = "offscreen"
& $cli gui --self-test
if ($LASTEXITCODE -ne 0) { throw "clearance gui --self-test exited $LASTEXITCODE" }

# The windowed executable has no console: wait for it and read its exit code.
$p = Start-Process -FilePath $gui -ArgumentList "--self-test" -Wait -PassThru -NoNewWindow
if ($p.ExitCode -ne 0) { throw "clearance-gui --self-test exited $($p.ExitCode)" }
Write-Host "smoke test ok: $Dir"
