@echo off
rem Conclave 离线安装（wheelhouse）/ offline install from this wheelhouse, no network used.
rem   install.bat [VENV]        默认 / default: %USERPROFILE%\conclave-venv
rem   set PYTHON=py -3.12 ^& install.bat
rem 需要 64 位 Python 3.11–3.13（python.org 安装包）。
setlocal
chcp 65001 >nul
set "HERE=%~dp0"
if "%PYTHON%"=="" (
    where py >nul 2>nul && (set "PYTHON=py -3") || (set "PYTHON=python")
)
set "VENV=%~1"
if "%VENV%"=="" set "VENV=%USERPROFILE%\conclave-venv"
%PYTHON% -c "import sys; print('py%%d%%d' %% sys.version_info[:2])" > "%TEMP%\conclave-minor.txt" || exit /b 1
set /p MINOR=<"%TEMP%\conclave-minor.txt"
if not exist "%HERE%%MINOR%\" (
    echo 此离线包没有 %MINOR% 的安装文件 / no wheels for %MINOR% here 1>&2
    exit /b 1
)
%PYTHON% -m venv "%VENV%" || exit /b 1
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%%MINOR%" conclave || exit /b 1
echo 安装完成 / installed: "%VENV%\Scripts\conclave.exe" gui    (演示 / demo: add --demo)
endlocal
